from flask.cli import AppGroup

seed_cli = AppGroup("seed", help="Fill the database with demo data.")
