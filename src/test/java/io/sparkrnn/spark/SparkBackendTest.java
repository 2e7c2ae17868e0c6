package io.sparkrnn.spark;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SparkBackendTest {
  @Test
  void aTreeOfDepthTwoHasALevelOnlyAboveFivePartitions() {
    assertFalse(SparkBackend.treeHasLevels(2, 2));
    assertFalse(SparkBackend.treeHasLevels(4, 2));
    assertFalse(SparkBackend.treeHasLevels(5, 2)); // scale 3: 5 > 3 + 2 is false
    assertTrue(SparkBackend.treeHasLevels(6, 2)); // scale 3: 6 > 3 + 2
    assertTrue(SparkBackend.treeHasLevels(128, 2));
    assertFalse(SparkBackend.treeHasLevels(128, 1));
  }
}
