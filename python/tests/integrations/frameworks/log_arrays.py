"""Logs images and histograms from real numpy arrays and torch tensors: python log_arrays.py DB."""

import sys

import numpy as np
import torch

from mldb import Database

with Database(sys.argv[1]) as db:
    db.log_image("arrays", "grey_float", 0, np.array([[0.0, 0.5], [1.0, 2.0]], dtype=np.float32))
    db.log_image("arrays", "rgb_uint8", 0, np.array([[[255, 0, 0], [0, 255, 0]]], dtype=np.uint8))
    db.log_image("arrays", "rgba_uint8", 0, np.zeros((3, 2, 4), dtype=np.uint8) + 7)
    db.log_image("arrays", "grey_tensor", 0, torch.tensor([[0.0, 0.5], [1.0, 0.25]]))
    db.log_image("arrays", "grey_tensor_uint8", 0, torch.tensor([[0, 128], [255, 3]], dtype=torch.uint8))
    db.log_histogram("arrays", "weights", 0, np.arange(12, dtype=np.float32).reshape(3, 4), bins=4)
    db.log_histogram("arrays", "grads", 0, torch.arange(8, dtype=torch.float32).reshape(2, 4), bins=2)
    db.set_exp_status("arrays", "COMPLETE")
