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
    # torch's own layout, channels first (torchvision's ToTensor): 3×1×2 is a 2×1 RGB image
    db.log_image("arrays", "rgb_tensor_chw", 0, torch.tensor([[[1.0, 0.0]], [[0.0, 1.0]], [[0.0, 0.0]]]))
    try:
        db.log_image("arrays", "batch", 0, torch.zeros(2, 3, 4, 4))
    except Exception as e:  # noqa: BLE001 - the test reads what a user would see
        print("batch: %s: %s" % (type(e).__name__, e))
    db.log_histogram("arrays", "weights", 0, np.arange(12, dtype=np.float32).reshape(3, 4), bins=4)
    db.log_histogram("arrays", "grads", 0, torch.arange(8, dtype=torch.float32).reshape(2, 4), bins=2)
    db.set_exp_status("arrays", "COMPLETE")
