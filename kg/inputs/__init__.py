"""Reading input documents: which files, their encoding, their text and document keys."""
