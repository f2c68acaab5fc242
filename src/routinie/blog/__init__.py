"""Blog: posts (Markdown, sanitised), comments (IP kept for its retention), the Atom feed."""
