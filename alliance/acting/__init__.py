"""Movement 2, acting together. For now only the pure weather rules (weather.py)."""
