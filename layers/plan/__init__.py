"""Plan stage: the captured plan text → areas, 四至, projects, targets. Knows no geometry.

Public functions, in the order the text flows:

- :func:`layers.plan.text.read_plan`: clean the capture (pinyin, mojibake, OpenCC t2s);
- :func:`layers.plan.sections.split_sections`, :func:`~layers.plan.sections.find_section`;
- :func:`layers.plan.areas.extract_areas`: the ten zones and ten parks;
- :func:`layers.plan.bounds.parse_bounds`: a 四至 clause → :class:`~layers.plan.bounds.Bounds`;
- :func:`layers.plan.industries.read_industries`, :func:`~layers.plan.industries.positioning_phrase`;
- :func:`layers.plan.projects.extract_projects` (names from :mod:`~layers.plan.project_names`,
  status from :mod:`~layers.plan.project_status`);
- :func:`layers.plan.targets.extract_targets` (names from :mod:`~layers.plan.target_names`).
"""
