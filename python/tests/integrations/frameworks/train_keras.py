"""Trains a tiny Keras 3 model (torch backend, CPU) with MldbCallback: python train_keras.py DB [ok|error]."""

import os
import sys

os.environ.setdefault("KERAS_BACKEND", "torch")

import keras  # noqa: E402
import numpy as np  # noqa: E402

from mldb.integrations.keras import MldbCallback  # noqa: E402

keras.utils.set_random_seed(0)
x = np.random.rand(64, 4).astype("float32")
y = (x.sum(axis=1) > 2).astype("float32")
model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, activation="relu"),
                          keras.layers.Dense(1, activation="sigmoid")], name="tiny")
model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="binary_crossentropy", metrics=["accuracy"])
mode = sys.argv[2] if len(sys.argv) > 2 else "ok"


class Diverge(keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        if mode == "error" and epoch == 1:
            raise FloatingPointError("loss diverged at epoch 1")


name = "keras-run" if mode == "ok" else "keras-" + mode
model.fit(x, y, validation_split=0.25, epochs=4, batch_size=16, verbose=0,
          callbacks=[MldbCallback(db=sys.argv[1], name=name, project="tiny"), Diverge()])
