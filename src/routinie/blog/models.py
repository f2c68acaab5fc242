"""Blog tables."""
