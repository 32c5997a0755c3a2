"""The feature network of the evaluation suite: a small CNN classifier per image data set.

Not a chapter's model: it is trained once per (data set, seed, ``net_version``) through the
same loop and run cache as every model, and gives the features of the Fréchet and kernel
distances, precision and recall, and the class probabilities of the classifier scores.
"""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from .base import Model, make_optimizer


class Classifier(Model):
    defaults = {
        "width": 16,  # channels of the first convolutions (doubled after the first pooling)
        "features": 128,  # size of the feature layer (the penultimate layer)
        "dropout": 0.3,  # dropout on the feature layer during training
        "shift": 2,  # training augmentation: random translations of up to this many pixels
        "optimizer": "adam",
        "lr": 1e-3,
        "beta1": 0.9,
        "beta2": 0.999,
        "net_version": 1,  # bump when the architecture or training changes: a new cache entry
    }
    needs_labels = True
    n_classes = 10

    def __init__(self, cfg, shape):
        super().__init__(cfg, shape)
        w, c = self.cfg["width"], shape[0]
        self.body = nn.Sequential(
            nn.Conv2d(c, w, 3, padding=1), nn.ReLU(), nn.Conv2d(w, w, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(w, 2 * w, 3, padding=1), nn.ReLU(), nn.Conv2d(2 * w, 2 * w, 3, padding=1), nn.ReLU(),
            nn.MaxPool2d(2), nn.Flatten(),
            nn.Linear(2 * w * (shape[1] // 4) * (shape[2] // 4), self.cfg["features"]), nn.ReLU(),
        )
        self.head = nn.Sequential(nn.Dropout(self.cfg["dropout"]), nn.Linear(self.cfg["features"], self.n_classes))
        self.optimizers["net"] = make_optimizer(self.parameters(), self.cfg)

    @property
    def num_features(self) -> int:
        return self.cfg["features"]

    def augment(self, x: torch.Tensor) -> torch.Tensor:
        """Random integer translations of up to ``shift`` pixels (zeros shifted in)."""
        s = self.cfg["shift"]
        if s == 0:
            return x
        n, _, h, w = x.shape
        shifts = torch.randint(-s, s + 1, (n, 2), device=x.device).float()
        theta = torch.zeros(n, 2, 3, device=x.device)
        theta[:, 0, 0] = theta[:, 1, 1] = 1.0
        theta[:, 0, 2], theta[:, 1, 2] = 2 * shifts[:, 0] / w, 2 * shifts[:, 1] / h
        grid = F.affine_grid(theta, list(x.shape), align_corners=False)
        return F.grid_sample(x, grid, mode="nearest", padding_mode="zeros", align_corners=False)

    def train_step(self, batch, step):
        self.train()
        x, y = batch
        loss = F.cross_entropy(self.head(self.body(self.augment(x))), y)
        opt = self.optimizers["net"]
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        return {"loss": loss.item()}

    @torch.no_grad()
    def _batched(self, fn, x: torch.Tensor, batch_size: int = 1000) -> torch.Tensor:
        with self.evaluating():
            return torch.cat([fn(x[i : i + batch_size].to(self.device)).cpu() for i in range(0, len(x), batch_size)])

    def features(self, x: torch.Tensor) -> torch.Tensor:
        """The feature layer's activations (N, features), in eval mode."""
        return self._batched(self.body, x)

    def probabilities(self, x: torch.Tensor) -> torch.Tensor:
        """Class probabilities p(y | x), (N, 10)."""
        return self._batched(lambda b: self.head(self.body(b)).softmax(-1), x)

    def sample(self, n, generator=None):
        raise TypeError("a classifier does not generate samples")
