# Frozen reference values from R's survival package for tests/test_survival_against_R.py.
# Run from the repository root (R >= 4.2, survival >= 3.5; Debian: apt-get install r-base-core r-cran-survival):
#   Rscript tests/r/make_reference.R > tests/r/reference.json
# CI does not need R: the JSON is committed. The datasets cover ties, a curve flat at exactly 0.5,
# an all-censored group, a group without censoring, and PFS/OS of a snapshot of the synthetic cohort
# (times computed here, in R, from the dates: days / 30.4375).
suppressPackageStartupMessages(library(survival))

num <- function(x) ifelse(is.na(x) | is.infinite(x), "null", formatC(x, digits = 17, format = "g"))
vec <- function(x) paste0("[", paste(num(x), collapse = ", "), "]")
obj <- function(...) { a <- list(...); paste0("{", paste(sprintf('"%s": %s', names(a), unlist(a)), collapse = ", "), "}") }
strs <- function(x) paste0("[", paste(sprintf('"%s"', x), collapse = ", "), "]")

TIMES <- c(6, 12, 24)
CONF <- c("log", "log-log", "plain")

# the median and limits as R prints them (survival:::survmean), and quantile.survfit's, which can differ
printed <- function(fit) vec(summary(fit)$table[c("median", "0.95LCL", "0.95UCL")])
quant <- function(fit) { q <- quantile(fit, probs = 0.5); vec(c(q$quantile, q$lower, q$upper)) }

curve_results <- function(time, status) {
  meds <- sapply(CONF, function(ct) printed(survfit(Surv(time, status) ~ 1, conf.type = ct)))
  quants <- sapply(CONF, function(ct) quant(survfit(Surv(time, status) ~ 1, conf.type = ct)))
  s <- summary(survfit(Surv(time, status) ~ 1, conf.type = "log"), times = TIMES[TIMES <= max(time)], extend = FALSE)
  s2 <- summary(survfit(Surv(time, status) ~ 1, conf.type = "log-log"), times = TIMES[TIMES <= max(time)], extend = FALSE)
  rk <- survfit(Surv(time, 1 - status) ~ 1)
  obj(median = do.call(obj, as.list(meds)), median_quantile = do.call(obj, as.list(quants)),
      at_times = obj(time = vec(s$time), n_risk = vec(s$n.risk), surv = vec(s$surv), lower = vec(s$lower),
                     upper = vec(s$upper), lower_loglog = vec(s2$lower), upper_loglog = vec(s2$upper)),
      reverse_km = printed(rk), reverse_km_quantile = quant(rk))
}

dataset <- function(time, status, group = NULL, cox = TRUE) {
  parts <- list(time = vec(time), status = vec(status), all = curve_results(time, status))
  if (!is.null(group)) {
    parts$group <- vec(group)
    for (g in sort(unique(group))) parts[[paste0("group_", g)]] <- curve_results(time[group == g], status[group == g])
    d0 <- survdiff(Surv(time, status) ~ group)
    d1 <- survdiff(Surv(time, status) ~ group, rho = 1)
    parts$survdiff <- obj(rho0 = vec(c(d0$chisq, pchisq(d0$chisq, 1, lower.tail = FALSE))),
                          rho1 = vec(c(d1$chisq, pchisq(d1$chisq, 1, lower.tail = FALSE))))
    if (cox) {
      f <- coxph(Surv(time, status) ~ group)
      ci <- summary(f)$conf.int
      parts$coxph <- vec(c(ci[1, "exp(coef)"], ci[1, "lower .95"], ci[1, "upper .95"],
                           summary(f)$coefficients[1, "Pr(>|z|)"]))
    }
  }
  do.call(obj, parts)
}

out <- list()
# PSIAIMS CAMIS fixture: flat at 0.5 from 87 to 118 (median 102.5)
out$camis <- dataset(c(54, 75, 77, 84, 87, 92, 103, 105, 112, 118), c(1, 1, 1, 1, 1, 0, 0, 0, 0, 0))
# sim44 (../shared/notes): half-month grid, event/censor ties, two groups
sim_t <- c(8.5, 2.0, 3.0, 4.0, 1.0, 0.5, 8.5, 0.5, 2.5, 1.5, 8.0, 7.0, 10.5, 3.5, 8.5, 1.5, 8.0, 2.5, 22.5, 0.5, 5.0,
           5.0, 10.5, 0.5, 5.0, 1.5, 0.5, 15.5, 11.0, 5.0, 0.5, 1.5, 6.5, 2.5, 1.0, 7.0, 3.5, 1.5, 6.5, 4.0, 11.0, 5.0,
           2.0, 1.5)
sim_s <- c(0, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 0, 0, 1, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
           1, 1, 0, 1, 0, 1, 1, 1)
sim_g <- c(1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1, 0,
           0, 1, 1, 0, 0, 0, 1, 0)
out$sim44 <- dataset(sim_t, sim_s, sim_g)
# flat at exactly 0.5 at the end of the curve (last-point midpoint rule) plus heavy ties
out$flat_end <- dataset(c(1, 2, 3, 4, 5, 6, 7, 8), c(1, 1, 1, 1, 0, 0, 0, 0))
out$ties <- dataset(c(2, 2, 2, 3, 3, 5, 5, 6, 6, 6, 8, 9, 10, 10, 12, 12), c(1, 1, 0, 1, 0, 1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0),
                    c(0, 1, 0, 1, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 1))
# one group without any event, one without censoring (no Cox model: the HR is not estimable)
out$censoring_extremes <- dataset(c(3, 5, 7, 9, 11, 2, 4, 6, 8, 10), c(0, 0, 0, 0, 0, 1, 1, 1, 1, 1),
                                  c(0, 0, 0, 0, 0, 1, 1, 1, 1, 1), cox = FALSE)

# the synthetic cohort snapshot: PFS and OS by extramedullary disease, months from the first bispecific dose
d <- read.csv("tests/r/cohort_snapshot.csv", stringsAsFactors = FALSE, na.strings = "")
start <- as.Date(d$bsab_start_date); prog <- as.Date(d$progression_date); death <- as.Date(d$death_date)
last <- as.Date(d$last_followup_date)
pfs_end <- as.Date(ifelse(!is.na(prog), prog, ifelse(!is.na(death), death, last)), origin = "1970-01-01")
pfs_t <- as.numeric(pfs_end - start) / 30.4375
pfs_s <- as.numeric(!is.na(prog) | !is.na(death))
os_t <- as.numeric(last - start) / 30.4375
os_s <- as.numeric(!is.na(death))
out$synthetic_pfs_emd <- dataset(pfs_t, pfs_s, d$extramedullary)
out$synthetic_os_emd <- dataset(os_t, os_s, d$extramedullary)
# cause-specific cumulative incidence of death (Aalen-Johansen)
cause <- factor(ifelse(is.na(death), "censor", d$death_cause), levels = c("censor", "progression", "infection", "other"))
aj <- summary(survfit(Surv(os_t, cause) ~ 1), times = TIMES)
cif <- aj$pstate[, match(c("progression", "infection", "other"), aj$states)]
out$synthetic_cuminc <- obj(time = vec(aj$time), progression = vec(cif[, 1]), infection = vec(cif[, 2]),
                            other = vec(cif[, 3]))

cat("{\n", sprintf('"r_version": "%s", "survival_version": "%s",\n', R.version.string, packageVersion("survival")),
    '"datasets": {\n', paste(sprintf('"%s": %s', names(out), unlist(out)), collapse = ",\n"), "\n}}\n", sep = "")
