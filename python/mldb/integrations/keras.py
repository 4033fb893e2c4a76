"""Keras 3: ``MldbCallback`` for ``model.fit``: each epoch's logs as series
(``val_*`` into split ``valid``, the rest into ``train``), params from the fit,
the model and its optimizer's config, and the best model (by ``monitor``) saved
and recorded as a checkpoint file. Imports Keras when this module is imported.

Example::

    from mldb.integrations.keras import MldbCallback

    model.fit(x, y, validation_split=0.2, epochs=10, callbacks=[MldbCallback(project='iris')])
"""

import os

import keras

from ..media import artifact_dir
from ._common import RunOwner, json_param, number, set_new_params, split_key


class MldbCallback(keras.callbacks.Callback):
    """A Keras callback writing into mldb.

    ``run``: an mldb Run to log into; otherwise one is started at ``on_train_begin``
    in ``db`` (a Database or a path; default the configured one) and marked COMPLETE
    at ``on_train_end``. ``monitor`` (default ``val_loss``, its direction from mldb's
    series directions) picks the best epoch, whose model is saved to
    ``checkpoint_path`` (default ``<artifact folder>/checkpoints/best.keras``) and
    recorded as a checkpoint at the end of training; ``save_best=False`` saves nothing.
    A script that raises is marked FAILED by the run's exit hook.
    """

    def __init__(self, run=None, db=None, name=None, project="default", tags=None, system_metrics=False,
                 monitor="val_loss", save_best=True, checkpoint_path=None):
        super().__init__()
        self._owner = RunOwner(run=run, db=db, name=name, project=project, tags=tags, system_metrics=system_metrics)
        self.monitor = monitor
        self.save_best = save_best
        self.checkpoint_path = checkpoint_path
        self._best = None
        self._best_epoch = None

    @property
    def run(self):
        """The mldb Run (started on first use)."""
        return self._owner.run

    def on_train_begin(self, logs=None):
        run = self._owner.run
        params = {k: v for k, v in (self.params or {}).items() if k in ("epochs", "steps", "batch_size", "verbose")}
        model = self.model
        params["model"] = getattr(model, "name", type(model).__name__)
        try:
            params["trainable_params"] = int(sum(int(w.numpy().size) for w in model.trainable_weights))
        except Exception:
            pass
        opt = getattr(model, "optimizer", None)
        if opt is not None:
            try:
                cfg = opt.get_config()
            except Exception:
                cfg = {}
            params["optimizer"] = cfg.get("name", type(opt).__name__)
            for k, v in cfg.items():
                if k != "name" and v is not None:
                    params["optimizer." + k] = json_param(v)
        set_new_params(run, params)

    def _improved(self, value):
        if self._best is None:
            return True
        split, name = split_key(self.monitor, "train")
        mode = self._owner.run._db.series_direction("%s/%s" % (split, name) if split else name)
        return value > self._best if mode == "max" else value < self._best

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        self._owner.log(logs, epoch, default_split="train")
        value = number(logs.get(self.monitor)) if self.monitor else None
        if value is not None and value == value and self._improved(value):
            self._best, self._best_epoch = value, epoch
            if self.save_best:
                self.model.save(self._checkpoint_path())

    def _checkpoint_path(self):
        if self.checkpoint_path is None:
            run = self._owner.run
            folder = os.path.join(artifact_dir(run._db.path, run.name), "checkpoints")
            os.makedirs(folder, exist_ok=True)
            self.checkpoint_path = os.path.join(folder, "best.keras")
        return self.checkpoint_path

    def on_train_end(self, logs=None):
        if self.save_best and self._best_epoch is not None and os.path.isfile(self._checkpoint_path()):
            self._owner.run.add_file(self._checkpoint_path(), kind="checkpoint", step=self._best_epoch,
                                     meta={"monitor": self.monitor, "score": self._best, "best": True})
        self._owner.succeeded()
