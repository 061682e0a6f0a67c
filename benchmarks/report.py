"""Helpers of every benchmark that need no TensorFlow: where the data is, tables."""

import os

from ganzoo.core.report import print_table  # noqa: F401

SHARED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "data")
