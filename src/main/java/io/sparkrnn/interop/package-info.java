/**
 * Interchange with PyTorch and NumPy: the .npz/NPY format, and a model exported as a PyTorch
 * state_dict (names and layouts of nn.Embedding, nn.LSTM / nn.GRU / nn.RNN and nn.Linear) plus its
 * vocabulary and spec, and imported back.
 */
package io.sparkrnn.interop;
