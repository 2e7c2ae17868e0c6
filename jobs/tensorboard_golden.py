"""The golden event records of EventFileTest, serialised by TensorBoard's own protocol buffer classes.

python3 jobs/tensorboard_golden.py > src/test/resources/tensorboard/golden.txt   (pip install tensorboard)
Each line: a name, then the hex of one Event message as EventFile must write it for the same inputs.
"""
from tensorboard.compat.proto import event_pb2, summary_pb2, tensor_pb2, tensor_shape_pb2, types_pb2

WALL = 1765000000.25


def scalars():
    s = summary_pb2.Summary(value=[summary_pb2.Summary.Value(tag="train_loss", simple_value=5.75),
                                   summary_pb2.Summary.Value(tag="lr", simple_value=0.002)])
    return event_pb2.Event(wall_time=WALL, step=300, summary=s)


def text():
    meta = summary_pb2.SummaryMetadata(plugin_data=summary_pb2.SummaryMetadata.PluginData(plugin_name="text"))
    tensor = tensor_pb2.TensorProto(dtype=types_pb2.DT_STRING, tensor_shape=tensor_shape_pb2.TensorShapeProto(),
                                    string_val=["    seed=1".encode()])
    value = summary_pb2.Summary.Value(tag="config", metadata=meta, tensor=tensor)
    return event_pb2.Event(wall_time=WALL, step=0, summary=summary_pb2.Summary(value=[value]))


def start():
    return event_pb2.Event(wall_time=WALL, step=41, session_log=event_pb2.SessionLog(status=event_pb2.SessionLog.START))


def version():
    return event_pb2.Event(wall_time=WALL, file_version="brain.Event:2")


for name, event in [("version", version()), ("scalars", scalars()), ("text", text()), ("start", start())]:
    print(name, event.SerializeToString().hex())
