"""One module per `accord` command; each exposes `run(args) -> exit status`."""
