"""sms-handbook: an ISO/IEC 20000-1 service management system as documentation-as-code."""

from __future__ import annotations

__version__ = "0.1.0"

from . import dataclass_code as _dataclass_code  # before any module of the package makes one

_dataclass_code.install()
