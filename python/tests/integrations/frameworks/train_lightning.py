"""Trains a tiny Lightning model on CPU with MldbLogger: python train_lightning.py DB WORKDIR [ok|error|interrupt]."""

import sys

import lightning as L
import torch
from lightning.pytorch.callbacks import ModelCheckpoint

from mldb.integrations.lightning import MldbLogger

db_path, workdir, mode = sys.argv[1], sys.argv[2], sys.argv[3]
torch.manual_seed(0)


class Tiny(L.LightningModule):
    def __init__(self, lr=0.05, hidden=8):
        super().__init__()
        self.save_hyperparameters()
        self.net = torch.nn.Sequential(torch.nn.Linear(4, hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, 1))

    def training_step(self, batch, i):
        if mode != "ok" and self.current_epoch == 1:
            raise KeyboardInterrupt() if mode == "interrupt" else RuntimeError("diverged at epoch 1")
        x, y = batch
        loss = torch.nn.functional.mse_loss(self.net(x), y)
        self.log("train_loss", loss, on_step=True, on_epoch=False)
        return loss

    def validation_step(self, batch, i):
        x, y = batch
        self.log("val_loss", torch.nn.functional.mse_loss(self.net(x), y))
        self.log("val/mae", (self.net(x) - y).abs().mean())

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=self.hparams.lr)


x = torch.randn(64, 4)
y = x.sum(dim=1, keepdim=True)
loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, y), batch_size=16)
trainer = L.Trainer(max_epochs=3, accelerator="cpu", default_root_dir=workdir, logger=MldbLogger(db=db_path,
                    name="lightning-" + mode, project="tiny"), log_every_n_steps=1, enable_progress_bar=False,
                    callbacks=[ModelCheckpoint(monitor="val_loss", save_top_k=1, save_last=True)],
                    enable_model_summary=False)
trainer.fit(Tiny(), loader, loader)
