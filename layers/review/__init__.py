"""review stage of the pipeline (see STYLE.md layout).

- :mod:`~layers.review.rebuild` — apply a change (``Change``) to a layer version and
  rebuild every zone and park with the build's code (``rebuild``);
- :mod:`~layers.review.effect` — the effect of a change on every area concerned (``effect``);
- :mod:`~layers.review.diff` — compare two versions (``area_changes``, ``line_changes``);
- :mod:`~layers.review.uploads` — corrected lines from files or the map (``read_line``,
  ``line_from_drawings``);
- :mod:`~layers.review.proposals` — ``submit``, ``approve``, ``reject``, conflicts;
- :mod:`~layers.review.versions` — numbered versions, ``restore``, ``release``, ``layers_for``;
- :mod:`~layers.review.status` — 待核实/已核实/有异议 and comment threads;
- :mod:`~layers.review.preview` — the 片区审查 tables and the quick 四至 preview.
"""
