package io.sparkrnn.spark;

import io.sparkrnn.train.FloatIo;
import java.io.Externalizable;
import java.io.IOException;
import java.io.ObjectInput;
import java.io.ObjectOutput;

/** The parameters as a broadcast value that serializes as one bulk byte copy. */
public final class BulkFloats implements Externalizable {
  private static final long serialVersionUID = 1L;
  private float[] values;

  public BulkFloats(float[] values) {
    this.values = values;
  }

  /** For deserialization only. */
  public BulkFloats() {}

  public float[] values() {
    return values;
  }

  @Override
  public void writeExternal(ObjectOutput out) throws IOException {
    FloatIo.write(out, values);
  }

  @Override
  public void readExternal(ObjectInput in) throws IOException {
    values = FloatIo.read(in, Integer.MAX_VALUE);
  }
}
