"""store stage of the pipeline (see STYLE.md layout)."""
