"""Trains a tiny BERT built from a config (no download) with report_to="mldb": python train_transformers.py DB WORKDIR."""

import os
import sys

import torch
from transformers import BertConfig, BertForSequenceClassification, Trainer, TrainingArguments

import mldb
import mldb.integrations.transformers  # noqa: F401  (registers report_to="mldb")

mldb.CONFIG["db_path"] = sys.argv[1]
workdir = sys.argv[2]
torch.manual_seed(0)


class Data(torch.utils.data.Dataset):
    def __init__(self, n):
        self.ids = torch.randint(1, 30, (n, 8))
        self.labels = (self.ids[:, 0] > 15).long()

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(8, dtype=torch.long), "labels": self.labels[i]}


config = BertConfig(vocab_size=32, hidden_size=16, num_hidden_layers=1, num_attention_heads=2, intermediate_size=32,
                    max_position_embeddings=16, num_labels=2)
args = TrainingArguments(output_dir=os.path.join(workdir, "out"), report_to="mldb", run_name="hf-run",
                         num_train_epochs=2, per_device_train_batch_size=8, learning_rate=1e-3, logging_steps=1,
                         eval_strategy="epoch", save_strategy="epoch", use_cpu=True, disable_tqdm=True, seed=0)
Trainer(model=BertForSequenceClassification(config), args=args, train_dataset=Data(32), eval_dataset=Data(16)).train()
