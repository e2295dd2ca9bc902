"""``python -m geo_trygg`` runs the ``geo-trygg`` command line."""

from geo_trygg.cli import main

if __name__ == "__main__":
    main()
