package io.sparkrnn.train;

/** The tree settings (see {@link Config#KEYS}); the rest of a run's settings are its {@link TrainConfig}. */
public record TreeConfig(boolean chain, boolean rootOnly, int classes) implements java.io.Serializable {

  public static TreeConfig from(Config c) {
    String shape = c.get("tree.shape");
    if (!shape.equals("tree") && !shape.equals("chain")) {
      throw new IllegalArgumentException("tree.shape must be tree or chain, not '" + shape + "'");
    }
    String labels = c.get("tree.labels");
    if (!labels.equals("root") && !labels.equals("all")) {
      throw new IllegalArgumentException("tree.labels must be root or all, not '" + labels + "'");
    }
    if (shape.equals("chain") && !c.get("model.cell").equals("childsum")) {
      throw new IllegalArgumentException("tree.shape=chain needs model.cell=childsum (on a chain of the tokens it is"
          + " an LSTM), not model.cell=" + c.get("model.cell"));
    }
    if (shape.equals("chain") && labels.equals("all")) {
      throw new IllegalArgumentException("tree.shape=chain keeps the root's label only; set tree.labels=root");
    }
    return new TreeConfig(shape.equals("chain"), labels.equals("root"), c.getInt("tree.classes", 0));
  }
}
