"""gdm: the library behind the book *Understanding Deep Generative Models*.

Every chapter notebook imports its data, nets, losses, models, training loop, metrics and
plots from here; nothing is written twice.
"""
__version__ = "0.1.0"
