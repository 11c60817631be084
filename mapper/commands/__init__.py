"""The subcommands of ``mapper``, one module per kind of job; :mod:`mapper.cli` gathers them.

Each module imports only the command line's own needs at the top and the package's
stages inside the commands, so that ``mapper --help`` stays fast.
"""
