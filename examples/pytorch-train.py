"""Trains a small PyTorch classifier on CPU (two interleaved spirals, made here, no
download) and logs everything into mldb: params, train/valid loss and accuracy per
epoch, system metrics, the decision map as an image per epoch, a histogram of the
first layer's weights, and the best checkpoint.

    pip install torch numpy ./python
    python examples/pytorch-train.py [--db path/to/mldb.db] [--epochs 30]
    mldb show <the printed experiment name>
"""

import argparse
import math
import os

import numpy as np
import torch

from mldb import Database, exp_name


def spirals(n, seed):
    g = torch.Generator().manual_seed(seed)
    t = torch.rand(n, generator=g) * 2 * math.pi
    label = torch.randint(0, 2, (n,), generator=g)
    r = 0.1 + t / (2 * math.pi)
    angle = t + label * math.pi
    x = torch.stack([r * torch.cos(angle), r * torch.sin(angle)], dim=1) + 0.02 * torch.randn(n, 2, generator=g)
    return x, label


def decision_map(model, size=64):
    """The model's probability of class 1 over [-1, 1]², as a grey image."""
    axis = torch.linspace(-1, 1, size)
    grid = torch.stack(torch.meshgrid(axis, axis.flip(0), indexing="xy"), dim=-1).reshape(-1, 2)
    with torch.no_grad():
        p = torch.softmax(model(grid), dim=1)[:, 1]
    return (p.reshape(size, size).numpy() * 255).astype(np.uint8)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default=None)
    ap.add_argument("--epochs", type=int, default=40)
    ap.add_argument("--name", default=None)
    args = ap.parse_args()
    params = {"lr": 0.02, "hidden": 32, "epochs": args.epochs, "batch_size": 64, "optimizer": "adam"}
    torch.manual_seed(0)
    x_train, y_train = spirals(800, seed=1)
    x_valid, y_valid = spirals(200, seed=2)
    model = torch.nn.Sequential(torch.nn.Linear(2, params["hidden"]), torch.nn.Tanh(),
                                torch.nn.Linear(params["hidden"], params["hidden"]), torch.nn.Tanh(),
                                torch.nn.Linear(params["hidden"], 2))
    opt = torch.optim.Adam(model.parameters(), lr=params["lr"])
    loss_fn = torch.nn.CrossEntropyLoss()

    with Database(args.db) as db, db.start_run(name=args.name or exp_name("spirals"), project="examples",
                                               params=params, system_metrics=True) as run:
        print(run.name)
        ckpt_dir = os.path.join(os.path.dirname(db.path), "artifacts", run.name, "checkpoints")
        os.makedirs(ckpt_dir, exist_ok=True)
        best = float("inf")
        for epoch in range(args.epochs):
            model.train()
            perm = torch.randperm(len(x_train))
            total = correct = 0.0
            for i in range(0, len(perm), params["batch_size"]):
                idx = perm[i:i + params["batch_size"]]
                out = model(x_train[idx])
                loss = loss_fn(out, y_train[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                total += loss.item() * len(idx)
                correct += (out.argmax(1) == y_train[idx]).sum().item()
            run.log({"loss": total / len(perm), "acc": correct / len(perm)}, step=epoch, split="train")
            model.eval()
            with torch.no_grad():
                out = model(x_valid)
                valid_loss = loss_fn(out, y_valid).item()
                valid_acc = (out.argmax(1) == y_valid).float().mean().item()
            run.log({"loss": valid_loss, "acc": valid_acc}, step=epoch, split="valid")
            if epoch % 5 == 0 or epoch == args.epochs - 1:
                run.log_image("decision_map", decision_map(model), step=epoch)
                run.log_histogram("weights/layer1", model[0].weight.detach().numpy(), step=epoch)
            if valid_loss < best:
                best = valid_loss
                path = os.path.join(ckpt_dir, "epoch-%d.pt" % epoch)
                torch.save(model.state_dict(), path)
                run.add_file(path, kind="checkpoint", step=epoch)
        final = os.path.join(ckpt_dir, "final.pt")
        torch.save(model.state_dict(), final)
        run.add_file(final, kind="model", step=args.epochs - 1, hash=True)
        print("valid/acc %.3f" % valid_acc)


if __name__ == "__main__":
    main()
