"""PyTorch Lightning: ``MldbLogger``, a Lightning ``Logger`` that writes
hyperparameters, metrics with their step, checkpoints as file records and the
run's status (COMPLETE on a finished fit, FAILED with the traceback on an error,
KILLED on Ctrl-C) into mldb. Imports Lightning (``lightning`` or
``pytorch_lightning``) when this module is imported.

Example::

    from mldb.integrations.lightning import MldbLogger

    trainer = lightning.Trainer(max_epochs=5, logger=MldbLogger(project='mnist'))
    trainer.fit(model, train_loader, val_loader)
    # series train/loss, valid/loss ... at the global step; params from save_hyperparameters()
"""

import os
import sys

try:
    from lightning.pytorch.loggers.logger import Logger, rank_zero_experiment
    from lightning.pytorch.utilities import rank_zero_only
except ImportError:  # the older package name
    from pytorch_lightning.loggers.logger import Logger, rank_zero_experiment
    from pytorch_lightning.utilities import rank_zero_only

from ._common import RunOwner, set_new_params


class MldbLogger(Logger):
    """A Lightning logger writing into mldb.

    ``run``: an mldb Run to log into (its status is yours, except on failure);
    otherwise a run is started on first use in database ``db`` (a Database or a
    path; default the configured one) named ``name`` in ``project``, and marked
    COMPLETE when the fit ends. Metric keys ``train_loss``/``train/loss`` become
    series ``train/loss``, ``val_*``/``val/*`` ``valid/*``, ``test_*`` ``test/*``.
    """

    def __init__(self, run=None, db=None, name=None, project="default", tags=None, system_metrics=False,
                 save_dir=None):
        super().__init__()
        self._owner = RunOwner(run=run, db=db, name=name, project=project, tags=tags, system_metrics=system_metrics)
        self._save_dir = save_dir
        self._recorded = {}
        self._last_step = 0

    @property
    def name(self):
        """Lightning puts checkpoints under ``<save_dir>/<name>/<version>/checkpoints``: the project."""
        return self._owner.run.project

    @property
    def version(self):
        """The experiment's name."""
        return self._owner.run.name

    @property
    def save_dir(self):
        return self._save_dir

    @property
    @rank_zero_experiment
    def experiment(self):
        """The mldb Run."""
        return self._owner.run

    @rank_zero_only
    def log_hyperparams(self, params, *args, **kwargs):
        if not isinstance(params, dict):
            params = vars(params)
        set_new_params(self._owner.run, params)

    @rank_zero_only
    def log_metrics(self, metrics, step=None):
        step = self._last_step if step is None else int(step)
        self._last_step = step
        self._owner.log({k: v for k, v in metrics.items() if k != "epoch"}, step)

    @rank_zero_only
    def after_save_checkpoint(self, checkpoint_callback):
        """Records every checkpoint file the callback has written since the last call."""
        paths = set(getattr(checkpoint_callback, "best_k_models", {}) or {})
        for attr in ("last_model_path", "best_model_path"):
            p = getattr(checkpoint_callback, attr, "")
            if p:
                paths.add(p)
        step = getattr(checkpoint_callback, "_last_global_step_saved", None)
        for path in sorted(paths):
            if not os.path.isfile(path):
                continue
            mtime = os.stat(path).st_mtime_ns
            if self._recorded.get(path) == mtime:
                continue
            self._recorded[path] = mtime
            meta = {}
            monitor = getattr(checkpoint_callback, "monitor", None)
            score = (getattr(checkpoint_callback, "best_k_models", {}) or {}).get(path)
            if monitor:
                meta["monitor"] = monitor
            if score is not None:
                try:
                    meta["score"] = float(score)
                except (TypeError, ValueError):
                    pass
            self._owner.run.add_file(path, kind="checkpoint", step=self._last_step if step is None else int(step),
                                     meta=meta or None)

    @rank_zero_only
    def finalize(self, status):
        # Lightning says only "success" or "failed"; the exception being handled tells which failure.
        if status == "success":
            self._owner.succeeded()
        elif status == "failed":
            self._owner.failed(sys.exc_info()[1])
