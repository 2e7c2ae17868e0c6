/**
 * The course exercises on the same layers: binary addition (many-to-many over bits), sine-wave
 * next-value regression with MSE, and many-to-one classification of 8x8 digits by scanning rows.
 */
package io.sparkrnn.tasks;
