"""Demo data of membership transfers: none yet (``load_demo`` builds no transfer; a demo district starts with none
open)."""
