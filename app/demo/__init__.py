"""The demo: the reference meeting of the design, staged with its people and links in one command."""
