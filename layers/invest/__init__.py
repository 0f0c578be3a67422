"""Investment promotion: the park finder and the reviewed English names (see STYLE.md layout).

Public functions: :func:`layers.invest.finder.rank_areas`, :func:`layers.invest.finder.load_synonyms`,
:func:`layers.invest.names.load_names`.
"""
