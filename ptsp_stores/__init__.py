"""Custom Rasa stores of the PTSP trainer, loaded by Rasa from `type: <module.Class>` in
endpoints files (Rasa puts the working directory, the project root, on sys.path)."""
