"""Views of the member register."""
