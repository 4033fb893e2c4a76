"""Hugging Face Transformers: ``MldbCallback``, a ``TrainerCallback`` writing the
``TrainingArguments`` as params, the Trainer's logs as ``train/*`` and ``eval/*``
series at the global step, each saved checkpoint's weights as file records, and
COMPLETE at the end of training. Importing this module also registers
``report_to="mldb"`` with Transformers. Imports Transformers when imported.

Example::

    import mldb.integrations.transformers  # noqa: F401  (registers report_to="mldb")

    args = TrainingArguments(output_dir='out', report_to='mldb', run_name='bert-small')
    Trainer(model=model, args=args, train_dataset=train, eval_dataset=valid).train()
"""

import os

from transformers import TrainerCallback

from ._common import RunOwner, json_param, set_new_params

# The files of a checkpoint folder that hold the weights (the rest is optimizer and trainer state).
_WEIGHTS = ("model.safetensors", "pytorch_model.bin", "adapter_model.safetensors", "adapter_model.bin", "tf_model.h5")


class MldbCallback(TrainerCallback):
    """A Trainer callback writing into mldb; ``Trainer(callbacks=[MldbCallback()])``
    or ``report_to="mldb"``.

    ``run``: an mldb Run to log into; otherwise one is started at the beginning of
    training in ``db`` (a Database or a path; default the configured one), named
    after ``TrainingArguments.run_name`` when set, and marked COMPLETE at the end.
    A script that raises is marked FAILED by the run's exit hook.
    """

    def __init__(self, run=None, db=None, name=None, project="default", tags=None, system_metrics=False):
        self._owner = None
        self._args = dict(run=run, db=db, name=name, project=project, tags=tags, system_metrics=system_metrics)

    @property
    def run(self):
        """The mldb Run (None before training begins)."""
        return None if self._owner is None else self._owner.run

    def _start(self, args):
        if self._owner is None:
            a = dict(self._args)
            if a["name"] is None and a["run"] is None:
                name = getattr(args, "run_name", None)
                # Transformers 4 defaults run_name to output_dir: not a name anyone chose.
                if name and name != getattr(args, "output_dir", None):
                    a["name"] = name
            self._owner = RunOwner(**a)
        return self._owner

    def on_train_begin(self, args, state, control, model=None, **kwargs):
        if not state.is_world_process_zero:
            return
        owner = self._start(args)
        params = {k: json_param(v) for k, v in args.to_dict().items() if v is not None and not k.startswith("_")
                  and k not in ("output_dir", "logging_dir", "run_name", "hub_token", "push_to_hub_token")}
        config = getattr(model, "config", None)
        if config is not None:
            params["model.type"] = getattr(config, "model_type", type(model).__name__) or type(model).__name__
            try:
                params["model.parameters"] = int(sum(p.numel() for p in model.parameters()))
            except Exception:
                pass
        set_new_params(owner.run, params)

    def on_log(self, args, state, control, logs=None, **kwargs):
        if not state.is_world_process_zero or not logs:
            return
        owner = self._start(args)
        values = {}
        summary = "train_runtime" in logs
        for key, value in logs.items():
            if key == "epoch":
                continue
            if summary and key == "train_loss":
                # the end-of-training average, not one more point of the per-step train/loss
                values["train/mean_loss"] = value
                continue
            if key.startswith("eval_"):
                values["eval/" + key[5:]] = value
            elif key.startswith("train_"):
                values["train/" + key[6:]] = value
            else:
                values["train/" + key] = value
        owner.log(values, state.global_step)

    def on_save(self, args, state, control, **kwargs):
        if not state.is_world_process_zero:
            return
        folder = os.path.join(args.output_dir, "checkpoint-%d" % state.global_step)
        if not os.path.isdir(folder):
            return
        run = self._start(args).run
        for name in sorted(os.listdir(folder)):
            if name in _WEIGHTS or (name.startswith("model-") and name.endswith(".safetensors")):
                run.add_file(os.path.join(folder, name), kind="checkpoint", step=state.global_step,
                             meta={"checkpoint": os.path.basename(folder)})

    def on_train_end(self, args, state, control, **kwargs):
        if state.is_world_process_zero and self._owner is not None:
            self._owner.succeeded()


def register():
    """Lets ``TrainingArguments(report_to="mldb")`` add ``MldbCallback``; done on import.
    Transformers has no public registry: this adds to the table its own integrations use."""
    from transformers.integrations import integration_utils

    integration_utils.INTEGRATION_TO_CALLBACK.setdefault("mldb", MldbCallback)


register()
