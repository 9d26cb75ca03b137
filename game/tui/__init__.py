"""The terminal game: a Textual app over the headless Game API (it holds no rule of the game)."""
