"""The lägesbild: the geographic situation picture per area and period (work in progress).

Pieces so far: statistics (``_stats``), follow-up of walk findings (``_followup``), time
profiles (``_timeprofile``) and exports (``_export``). ``build_lagesbild`` ties them together.
"""
