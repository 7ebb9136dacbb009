"""microcred: the open micro-credential platform for Canada."""

from microcred.app import Microcred
from microcred.settings import Settings

__all__ = ["Microcred", "Settings"]
__version__ = "0.1.0"
