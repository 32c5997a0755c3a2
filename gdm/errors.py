"""The errors gdm raises on bad input. Each message says what is allowed or what to do."""


class GdmError(Exception):
    """Base class of gdm's own errors."""


class UnknownNameError(GdmError, KeyError):
    """An unknown model, data set, profile, metric or parameter name."""

    def __init__(self, kind: str, name, known):
        self.kind, self.name, self.known = kind, name, sorted(known)
        super().__init__(f"unknown {kind} {name!r}; known {kind}s: {', '.join(self.known)}")

    def __str__(self) -> str:  # KeyError would wrap the message in quotes
        return self.args[0]


class ConfigError(GdmError, TypeError):
    """A parameter of the wrong type or out of its range."""


class DataUnavailableError(GdmError, FileNotFoundError):
    """A data set that cannot be read here nor downloaded."""


class TrainingDivergedError(GdmError, FloatingPointError):
    """A loss became NaN or infinite; the last good checkpoint is kept on disk."""
