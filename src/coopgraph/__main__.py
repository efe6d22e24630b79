"""``python -m coopgraph`` runs the command line."""

from coopgraph.cli.main import main

main()
