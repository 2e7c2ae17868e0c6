package io.sparkrnn.train;

import io.sparkrnn.data.TreeBatches;
import io.sparkrnn.data.TreeIds;
import io.sparkrnn.nn.ParamLayout;
import io.sparkrnn.nn.TreeNet;
import io.sparkrnn.nn.TreeSchedule;
import io.sparkrnn.nn.TreeSpec;
import java.util.List;

/**
 * A tree classifier over batches of trees (see {@link TreeBatches}), each batch scheduled by level. The count is
 * the labelled nodes, so the loop's "perplexity" is exp of the mean cross-entropy per label.
 */
public final class TreeObjective extends LaneObjective<TreeBatches, TreeNet> {
  private static final long serialVersionUID = 1L;
  private final TreeSpec spec;

  public TreeObjective(TreeSpec spec) {
    this.spec = spec;
  }

  @Override
  TreeNet build() {
    return new TreeNet(spec);
  }

  @Override
  ParamLayout layout(TreeNet model) {
    return model.layout();
  }

  @Override
  String sparseTable() {
    return "emb.weight";
  }

  @Override
  void run(TreeNet model, TreeBatches data, int b, int first, int count, float[] params, GradAccumulator acc) {
    List<TreeIds> trees = data.lanes(b, first, count);
    if (!trees.isEmpty()) {
      acc.loss += model.loss(params, TreeSchedule.of(trees), acc.grad.length > 0 ? acc.grad : null);
      for (TreeIds t : trees) {
        acc.tokens += t.labelled();
      }
    }
  }
}
