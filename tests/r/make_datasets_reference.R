# Frozen R answers on R survival's own datasets, for tests/stats/test_against_R_datasets.py.
# Run from the repository root (R >= 4.2, survival >= 3.5; Debian:
# apt-get install r-base-core r-cran-survival r-cran-jsonlite):
#   Rscript tests/r/make_datasets_reference.R > tests/r/datasets_reference.json
# CI does not need R: the JSON is committed. It holds, per dataset, the columns used (time, status
# 0/1 and the grouping columns, as text, NA = null) and R's answers; every number is written with 17
# significant digits (sprintf("%.17g"), which reads back as the same double).
#
# Per curve (the whole dataset and each level of each grouping) and per conf.type:
#   median     summary(fit)$table[c("median", "0.95LCL", "0.95UCL")], i.e. survival:::survmean, the
#              values print(fit) shows (first time each curve falls below 0.5 + tol; midpoint rule
#              on an exact 0.5 followed by a drop);
#   quantile   quantile(fit, 0.5): quantile.survfit's search on the bands, which can differ;
#   at_times   summary(fit, times = TIMES, extend = FALSE): time, n.risk, surv, lower, upper;
#   reverse_km both of the above on survfit(Surv(time, 1 - status) ~ 1) (median potential follow-up).
# Per grouping: survdiff rho = 0 and rho = 1 (chisq, df, p, and weighted obs / exp per level, in R's
# level order); for a two-level grouping, coxph on the 0/1 indicator of the second level, ties
# "efron" (R's default) and "breslow" (coef, se, HR, Wald 95% limits, Wald p).
#
# Choices, each the dataset's documented coding:
#   lung     status 2 = dead; sex (1 m, 2 f); ph.ecog 0-3 (NA dropped; level 3 is one patient)
#   aml      weeks; x Maintained / Nonmaintained
#   veteran  trt 1 standard / 2 test; celltype (4 levels)
#   ovarian  futime, fustat; rx 1 / 2
#   colon    the death rows (etype 2), one per patient; rx Obs / Lev / Lev+5FU (k groups), sex
#   pbc      status 2 = death (0 censored, 1 transplant: censored); trt 1 / 2 (106 NA dropped),
#            stage 1-4 (6 NA dropped)
#   myeloma  Surv(futime, death): the survival package's own "incorrect curve, which ignores left
#            truncation" (?myeloma) -- analysis.stats has no delayed-entry estimator, so `entry` is
#            not used and both sides compute the same quantity; groupings defined here: decade of
#            `year` (1940s ... 1990s; the 1940s hold 2 patients) and era (1947-79 / 1980-96)
#   mgus2    months; death; sex F / M
#   flchain  futime (days, some 0), death; sex F / M; flc.grp 1-10
# Every time in these datasets is a whole number, so R's aeqSurv() merges nothing and the Python side
# uses the times as given.
suppressPackageStartupMessages({
  library(survival)
  library(jsonlite)
})

CONF <- c("log", "log-log", "plain")

# numbers as verbatim JSON (17 significant digits; NA, NaN and +-Inf as null)
num <- function(x) {
  x <- as.double(x)
  structure(paste0("[", paste(ifelse(is.finite(x), sprintf("%.17g", x), "null"), collapse = ","), "]"),
            class = "json")
}
sc <- function(x) structure(if (is.finite(x)) sprintf("%.17g", as.double(x)) else "null", class = "json")

rule_pair <- function(fit) {
  tab <- summary(fit)$table
  q <- quantile(fit, probs = 0.5)
  list(median = num(tab[c("median", "0.95LCL", "0.95UCL")]), quantile = num(c(q$quantile, q$lower, q$upper)))
}

curve <- function(time, status, times) {
  out <- list(n = sc(length(time)), events = sc(sum(status)))
  tt <- times[times <= max(time)]
  for (ct in CONF) {
    fit <- survfit(Surv(time, status) ~ 1, conf.type = ct)
    s <- summary(fit, times = tt, extend = FALSE)
    rev <- rule_pair(survfit(Surv(time, 1 - status) ~ 1, conf.type = ct))
    out[[ct]] <- c(rule_pair(fit),
                   list(at_times = list(time = num(s$time), n_risk = num(s$n.risk), surv = num(s$surv),
                                        lower = num(s$lower), upper = num(s$upper)),
                        reverse_km = rev$median, reverse_km_quantile = rev$quantile))
  }
  out
}

test_stats <- function(d) {
  res <- survdiff(Surv(time, status) ~ g, data = d, rho = 0)
  one <- function(rho) {
    r <- survdiff(Surv(time, status) ~ g, data = d, rho = rho)
    df <- sum(r$n > 0) - 1
    list(chisq = sc(r$chisq), df = sc(df), p = sc(pchisq(r$chisq, df, lower.tail = FALSE)),
         observed = num(r$obs), expected = num(r$exp))
  }
  list(rho0 = one(0), rho1 = one(1))
}

cox_stats <- function(d, second) {
  d$x <- as.numeric(d$g == second)
  one <- function(ties) {
    f <- coxph(Surv(time, status) ~ x, data = d, ties = ties)
    s <- summary(f)
    list(coef = sc(coef(f)), se = sc(sqrt(vcov(f))[1, 1]), hr = sc(s$conf.int[1, "exp(coef)"]),
         lower = sc(s$conf.int[1, "lower .95"]), upper = sc(s$conf.int[1, "upper .95"]),
         p = sc(s$coefficients[1, "Pr(>|z|)"]), iterations = sc(f$iter))
  }
  list(covariate = unbox(paste0("1 if ", second, " else 0")), efron = one("efron"), breslow = one("breslow"))
}

# time, status (0/1) and a named list of groupings (factors: their levels give R's order)
dataset <- function(source, unit, time, status, groupings, times) {
  stopifnot(all(time == round(time)), all(status %in% c(0, 1)))      # whole times: aeqSurv is a no-op
  groupings <- lapply(groupings, function(g) droplevels(as.factor(g)))
  out <- list(source = unbox(source), time_unit = unbox(unit), summary_times = num(times),
              data = c(list(time = num(time), status = num(status)),
                       lapply(groupings, function(g) as.character(g))),
              curves = list(all = curve(time, status, times)), groupings = list())
  for (name in names(groupings)) {
    g <- groupings[[name]]
    ok <- !is.na(g)
    d <- data.frame(time = time[ok], status = status[ok], g = g[ok])
    lv <- levels(d$g)
    for (l in lv) out$curves[[paste0(name, "=", l)]] <- curve(d$time[d$g == l], d$status[d$g == l], times)
    info <- c(list(levels = lv, n_used = sc(nrow(d))), test_stats(d))
    if (length(lv) == 2) info$coxph <- cox_stats(d, lv[2])
    out$groupings[[name]] <- info
  }
  out
}

out <- list()
out$lung <- with(lung, dataset("survival::lung", "days", time, as.numeric(status == 2),
                               list(sex = sex, ph.ecog = ph.ecog), c(90, 180, 365, 730)))
out$aml <- with(aml, dataset("survival::aml", "weeks", time, status, list(x = x), c(12, 24, 48)))
out$veteran <- with(veteran, dataset("survival::veteran", "days", time, status,
                                     list(trt = trt, celltype = celltype), c(30, 90, 180, 365)))
out$ovarian <- with(ovarian, dataset("survival::ovarian", "days", futime, fustat, list(rx = rx),
                                     c(365, 730, 1000)))
colon_death <- colon[colon$etype == 2, ]
out$colon <- with(colon_death, dataset("survival::colon, etype == 2 (death)", "days", time, status,
                                       list(rx = rx, sex = sex), c(365, 1826, 2922)))
out$pbc <- with(pbc, dataset("survival::pbc, status == 2 (death)", "days", time, as.numeric(status == 2),
                             list(trt = trt, stage = stage), c(365, 1826, 3652)))
decade <- factor(paste0(1900 + 10 * (myeloma$year %/% 10), "s"))
era <- factor(ifelse(myeloma$year >= 80, "1980-96", "1947-79"), levels = c("1947-79", "1980-96"))
out$myeloma <- with(myeloma, dataset("survival::myeloma, Surv(futime, death) (left truncation ignored)", "days",
                                     futime, death, list(decade = decade, era = era), c(365, 1826, 3652)))
out$mgus2 <- with(mgus2, dataset("survival::mgus2, death", "months", futime, death, list(sex = sex),
                                 c(12, 60, 120, 240)))
out$flchain <- with(flchain, dataset("survival::flchain", "days", futime, death,
                                     list(sex = sex, flc.grp = flc.grp), c(365, 1826, 3652)))

ref <- list(r_version = unbox(R.version.string), survival_version = unbox(as.character(packageVersion("survival"))),
            script = unbox("tests/r/make_datasets_reference.R"), conf_level = sc(0.95), datasets = out)
cat(toJSON(ref, json_verbatim = TRUE, na = "null", pretty = TRUE), "\n", sep = "")
