"""Pure rules of the shared pieces: plain values in, plain values out (no model, no settings)."""
