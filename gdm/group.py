"""Several seeds of one small model trained as one batched model.

A toy run's step is Python and dispatch overhead: a 3 × 128 MLP on a batch of 128 is a few
hundred thousand multiply-adds, and the step costs milliseconds whatever the arithmetic. Trained
as a *group*, ``S`` runs that differ only in their seed share every kernel launch: each
``nn.Linear`` becomes a :class:`GroupedLinear` holding the ``S`` members' weights stacked
(``[S, out, in]``, one batched matrix product), each ``nn.BatchNorm1d`` a
:class:`GroupedBatchNorm1d` with per-member statistics, and the group's mini-batch is the
members' mini-batches laid side by side, so that row ``r`` of every tensor of a step belongs to
member ``r // B``. Nothing in a model's code changes: its losses see a batch of ``S · B`` rows.

*Why each member trains as it would alone.* Member ``s`` sees only its own rows (its nets' outputs
on row ``r`` depend on member ``r // B``'s weights alone), its own data (its seed's mini-batches,
in the model's order: a step of ``k`` critic mini-batches is laid out ``[k, S, B]``, so that
``batch.chunk(k)`` gives every member its ``j``-th mini-batch) and its own initial weights (each
member is built alone under its seed, then stacked). A loss that is a mean over the batch is the
mean over the members of their own losses, so its gradient for member ``s`` is ``1 / S`` of the
one it would have alone: a hook on every grouped parameter multiplies it by ``S`` back. The
optimisers (Adam, RMSProp, SGD, Adagrad) act element by element, and so do weight clipping and the
gradient penalty's per-sample input gradients. What differs from training alone is which random
numbers a member draws (its noise is a block of one ``S · B`` draw, not a draw of its own) and the
order of sums in a batched product: a member is a run with the same distribution as the lone run
of its seed, not the same numbers. ``tests/test_group.py`` checks that with the random draws made
equal, a group's members follow their lone runs to rounding over many steps.

*Which models.* Every model of the toy protocol but BEGAN (:data:`GROUPABLE`). A loss that
couples the rows of a batch (an MMD between the batch and another, EBGAN's pull-away term) is
taken per member through ``Model.per_member`` (the mean of each member's own loss); BEGAN's k_t is
one number per run fed by the batch's losses, so BEGAN trains alone, as do GMMN in code space
(its auto-encoder phase) and nets with dropout (:func:`groupable`).

The call (``gdm.runs`` does it for a config with ``seed_group`` > 1)::

    from gdm import group
    g = group.stack([model_seed0, model_seed1, model_seed2])   # lone models, built under their seeds
    batches = group.Batches([b0, b1, b2])                      # the members' gdm.data.Batches
    gdm.train.train(g, batches, steps)                         # the one loop, unchanged
    members = group.unstack(g, [fresh0, fresh1, fresh2])       # lone models again, with their states
"""
from __future__ import annotations

import copy

import torch
from torch import nn

from .errors import ConfigError

#: models whose losses are means of per-sample terms or taken per member (``Model.per_member``), so
#: that a group computes each member's gradient
GROUPABLE = ("gan", "fgan", "wgan", "wgan_gp", "lsgan", "ebgan", "infogan", "gmmn", "mmd_gan", "vae", "beta_vae",
             "aae", "wae")

def groupable(cfg: dict) -> bool:
    """Whether runs of ``cfg`` can train as a group: a model of :data:`GROUPABLE` (GMMN in data
    space only) without dropout (the protocol's nets have none, and the test does not cover it)."""
    model = cfg["model"]
    if model not in GROUPABLE or (model == "gmmn" and cfg.get("space") != "data"):
        return False
    return not any(cfg.get(k, 0) for k in ("d_dropout", "d_input_dropout", "dropout"))


class GroupedLinear(nn.Module):
    """``S`` linear layers applied each to its block of rows: ``weight`` ``[S, out, in]``, ``bias``
    ``[S, out]``; input and output ``[S · B, features]``."""

    def __init__(self, layers: list[nn.Linear]):
        super().__init__()
        self.groups = len(layers)
        self.in_features, self.out_features = layers[0].in_features, layers[0].out_features
        self.weight = nn.Parameter(torch.stack([l.weight.detach() for l in layers]).clone())
        has_bias = layers[0].bias is not None
        self.bias = nn.Parameter(torch.stack([l.bias.detach() for l in layers]).clone()) if has_bias else None

    def forward(self, x):
        if x.dim() != 2 or x.shape[0] % self.groups:
            raise ValueError(f"a grouped layer of {self.groups} members takes [members × batch, features], "
                             f"got {tuple(x.shape)}")
        xs = x.reshape(self.groups, -1, self.in_features)
        w = self.weight.transpose(1, 2)
        y = torch.baddbmm(self.bias.unsqueeze(1), xs, w) if self.bias is not None else torch.bmm(xs, w)
        return y.reshape(-1, self.out_features)

    def member(self, s: int, layer: nn.Linear) -> None:
        with torch.no_grad():
            layer.weight.copy_(self.weight[s])
            if self.bias is not None:
                layer.bias.copy_(self.bias[s])


class GroupedBatchNorm1d(nn.Module):
    """``S`` batch normalisations of ``[B, C]`` inputs, each with its own statistics and affine
    parameters (``[S, C]``), as ``nn.BatchNorm1d`` computes them (biased variance to normalise, the
    unbiased one in the running estimate)."""

    def __init__(self, layers: list[nn.BatchNorm1d]):
        super().__init__()
        first = layers[0]
        if not (first.affine and first.track_running_stats and first.momentum is not None):
            raise ConfigError("a grouped batch norm needs affine parameters, running statistics and a momentum")
        self.groups, self.eps, self.momentum = len(layers), first.eps, first.momentum
        self.weight = nn.Parameter(torch.stack([l.weight.detach() for l in layers]).clone())
        self.bias = nn.Parameter(torch.stack([l.bias.detach() for l in layers]).clone())
        self.register_buffer("running_mean", torch.stack([l.running_mean for l in layers]).clone())
        self.register_buffer("running_var", torch.stack([l.running_var for l in layers]).clone())
        self.register_buffer("num_batches_tracked", first.num_batches_tracked.clone())

    def forward(self, x):
        xs = x.reshape(self.groups, -1, x.shape[-1])
        if self.training:
            mean, var = xs.mean(1), xs.var(1, unbiased=False)
            n = xs.shape[1]
            with torch.no_grad():
                self.running_mean.mul_(1 - self.momentum).add_(self.momentum * mean)
                self.running_var.mul_(1 - self.momentum).add_(self.momentum * var * n / max(n - 1, 1))
                self.num_batches_tracked.add_(1)
        else:
            mean, var = self.running_mean, self.running_var
        y = (xs - mean.unsqueeze(1)) * torch.rsqrt(var.unsqueeze(1) + self.eps)
        return (y * self.weight.unsqueeze(1) + self.bias.unsqueeze(1)).reshape(x.shape)

    def member(self, s: int, layer: nn.BatchNorm1d) -> None:
        with torch.no_grad():
            for name in ("weight", "bias", "running_mean", "running_var"):
                getattr(layer, name).copy_(getattr(self, name)[s])
            layer.num_batches_tracked.copy_(self.num_batches_tracked)


_GROUPED = {nn.Linear: GroupedLinear, nn.BatchNorm1d: GroupedBatchNorm1d}


def _scale_grad(groups: int):
    return lambda g: g * groups


def stack(members: list) -> nn.Module:
    """One model training ``members`` (lone models of one class and config, differing only in
    their weights and optimiser states) at once. Raises ConfigError for a module it cannot group."""
    if len(members) < 1:
        raise ValueError("a group needs at least one member")
    S = len(members)
    grouped = copy.deepcopy(members[0])
    mapping: dict[int, nn.Parameter] = {}
    for name, mod in list(grouped.named_modules()):
        if name == "":
            continue
        kind = next((g for t, g in _GROUPED.items() if type(mod) is t), None)
        if kind is None:
            own = list(mod.named_parameters(recurse=False)) + list(mod.named_buffers(recurse=False))
            if own:
                raise ConfigError(f"{type(grouped).__name__} cannot train as a group: its module {name!r} "
                                  f"({type(mod).__name__}) has parameters or buffers a group does not split")
            continue
        new = kind([m.get_submodule(name) for m in members])
        for pname, p in mod.named_parameters(recurse=False):
            mapping[id(p)] = getattr(new, pname)
        parent, _, leaf = name.rpartition(".")
        setattr(grouped.get_submodule(parent) if parent else grouped, leaf, new)
    if list(grouped.named_buffers(recurse=False)) or list(grouped.named_parameters(recurse=False)):
        raise ConfigError(f"{type(grouped).__name__} has state of its own (a buffer or parameter outside its "
                          f"nets) that a group does not split: train its seeds alone")
    for key, opt in grouped.optimizers.items():
        groups = [{**{k: v for k, v in g.items() if k != "params"}, "params": [mapping[id(p)] for p in g["params"]]}
                  for g in opt.param_groups]
        new = grouped.optimizers[key] = type(opt)(groups, **opt.defaults)
        # an optimiser's state at construction (Adagrad's accumulators): the members', stacked
        for j, g in enumerate(opt.param_groups):
            for i, p in enumerate(g["params"]):
                states = [m.optimizers[key].state.get(m.optimizers[key].param_groups[j]["params"][i]) for m in members]
                if states[0]:
                    new.state[mapping[id(p)]] = {
                        k: torch.stack([st[k] for st in states]) if torch.is_tensor(v) and v.shape == p.shape
                        else (v.clone() if torch.is_tensor(v) else v) for k, v in states[0].items()}
    for p in grouped.parameters():
        if p.requires_grad:
            p.register_hook(_scale_grad(S))
    grouped.groups = S
    return grouped


def unstack(grouped: nn.Module, members: list) -> list:
    """``members`` (fresh lone models of the group's class and config) given the group's weights,
    buffers and optimiser states, member ``s`` the ``s``-th block; returns them."""
    S = grouped.groups
    if len(members) != S:
        raise ValueError(f"the group has {S} members, got {len(members)} models")
    for s, m in enumerate(members):
        lone_params = {}
        for name, mod in grouped.named_modules():
            if isinstance(mod, (GroupedLinear, GroupedBatchNorm1d)):
                lone = m.get_submodule(name)
                mod.member(s, lone)
                for pname, p in mod.named_parameters(recurse=False):
                    lone_params[id(p)] = getattr(lone, pname)
        for key, opt in grouped.optimizers.items():
            target = m.optimizers[key]
            for g_group, t_group in zip(opt.param_groups, target.param_groups):
                for k, v in g_group.items():
                    if k != "params":
                        t_group[k] = v
                for gp, tp in zip(g_group["params"], t_group["params"]):
                    if lone_params.get(id(gp)) is not tp:
                        raise ConfigError("the group's optimiser and the member's hold their parameters in another order")
                    if gp in opt.state:
                        target.state[tp] = {k: (v[s].clone() if torch.is_tensor(v) and v.dim() > 0 and v.shape[0] == S
                                                and v.shape == gp.shape else (v.clone() if torch.is_tensor(v) else v))
                                            for k, v in opt.state[gp].items()}
    return members


class Batches:
    """The group's mini-batches: step ``step`` stacks every member's ``gdm.data.Batches`` of that
    step, each member's ``k`` mini-batches of ``B`` in its block of every one of the ``k`` chunks."""

    def __init__(self, members: list, batch_size: int):
        self.members, self.batch_size = list(members), int(batch_size)
        self.counts = None  # already given their counts

    def __call__(self, step: int, count: int | None = None):
        parts = [b(step, count) for b in self.members]
        return _interleave(parts, self.batch_size)


def _interleave(parts, batch_size: int):
    first = parts[0]
    if isinstance(first, tuple):
        return tuple(_interleave([p[i] for p in parts], batch_size) for i in range(len(first)))
    S, n = len(parts), first.shape[0]
    k = max(n // batch_size, 1)
    x = torch.stack(parts, 0)  # [S, k B, ...]
    x = x.reshape(S, k, n // k, *first.shape[1:]).transpose(0, 1)  # [k, S, B, ...]
    return x.reshape(S * n, *first.shape[1:])


__all__ = ["GROUPABLE", "Batches", "GroupedBatchNorm1d", "GroupedLinear", "groupable", "stack",
           "unstack"]
