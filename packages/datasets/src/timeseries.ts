/**
 * @heed/datasets/timeseries — the time series that ship in vega-datasets@3.2.1 (names, files,
 * sources, licences). Windowing is `makeWindows` from `@heed/data`; the Node loaders
 * (`loadTimeSeries`, `loadCo2`) are in `@heed/datasets/node`.
 */
/** A time series that ships in vega-datasets@3.2.1 (files under `vega-datasets/data/`). */
export interface TimeSeriesSource {
  file: string;
  time: string;
  value: string;
  description: string;
  licence: string;
}

export const TIME_SERIES = {
  co2: {
    file: "co2-concentration.csv", time: "Date", value: "CO2",
    description: "Monthly Mauna Loa CO2 (ppm), 1958-03 to 2020-04, 741 rows (months without data are absent); Scripps CO2 Program",
    licence: "CC BY 4.0",
  },
  "co2-adjusted": {
    file: "co2-concentration.csv", time: "Date", value: "adjusted CO2",
    description: "The same Mauna Loa series, seasonally adjusted (4-harmonic fit removed)",
    licence: "CC BY 4.0",
  },
  "global-temp": {
    file: "global-temp.csv", time: "year", value: "temp",
    description: "Yearly global land-ocean temperature anomaly (°C), 1880-2023, 144 rows; NASA GISS",
    licence: "U.S. Government work (public domain)",
  },
  "seattle-temp-max": {
    file: "seattle-weather.csv", time: "date", value: "temp_max",
    description: "Daily maximum temperature in Seattle (°C), 2012-2015, 1,461 rows; NOAA NCDC",
    licence: "U.S. Government work (public domain)",
  },
  sp500: {
    file: "sp500.csv", time: "date", value: "price",
    description: "Monthly S&P 500 closing values, 2000-01 to 2010-03, 123 rows",
    licence: "BSD-3-Clause (vega-datasets; no separate licence stated)",
  },
} as const satisfies Record<string, TimeSeriesSource>;

export type TimeSeriesName = keyof typeof TIME_SERIES;
