"""The 0.1° maps: the grid and its cell areas, spatial proxies, mass-conserving downscaling of national totals, the
layer registry (each layer declared once), zonal statistics and grid subsets, tile pyramids, and CF NetCDF / GeoTIFF
files. Colours and pictures are not here: they are presentation (``components/render``)."""
