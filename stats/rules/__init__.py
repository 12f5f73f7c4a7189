"""The statistics' pure rules: the bands members are counted in (no Django import)."""
