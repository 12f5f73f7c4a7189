"""Forms of membership transfers: starting one (``requests``) and each move's few fields."""
