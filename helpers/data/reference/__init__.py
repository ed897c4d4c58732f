"""Reference tables every reader consults: vocabularies, places, actors, targets, boundaries."""
