"""Lead units' self-evaluations of the qualitative targets (自评), one workbook per cycle.

Which targets a unit rates (:mod:`.targets`), the workbook it fills (:mod:`.template`),
reading it back as data (:mod:`.reader`), storing it all or nothing with its history
(:mod:`.importer`) and listing what is stored (:mod:`.listing`).
"""
