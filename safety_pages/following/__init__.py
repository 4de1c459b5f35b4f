"""Bevakningar: follow a forum, a municipality or a tag, and hear of what is published there by e-mail."""
