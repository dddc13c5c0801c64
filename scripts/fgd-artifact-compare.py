#!/usr/bin/env python3
"""Compare `nuri simulate --experiment fgd-openb` runs with the FGD artifact's published allocation, seed by seed.

Usage: scripts/fgd-artifact-compare.py OUT_DIR ARTIFACT_CSV WORKLOAD

OUT_DIR is the experiment's --out folder (its fgd_openb_runs.csv); ARTIFACT_CSV is
experiments/analysis/expected_results/analysis_allo_discrete.csv of hkust-adsl/kubernetes-scheduler-simulator (allocated
GPU % per workload, policy, seed and arrived %, rounded to 0.01); WORKLOAD is the pod list (default, multigpu50, ...).
Prints, per policy, how many (seed, 10% step) pairs agree to the artifact's rounding and the largest difference.
Exits 1 when a deterministic policy (all but random) differs by more than 0.011 points anywhere.
"""
import csv
import sys

POLICIES = {'random': '01-Random', 'dotprod': '02-DotProd', 'clustering': '03-GpuClustering',
            'packing': '04-GpuPacking', 'bestfit': '05-BestFit', 'fgd': '06-FGD'}


def main(out_dir, artifact_csv, workload):
    theirs = {}
    with open(artifact_csv, newline='') as f:
        for row in csv.DictReader(f):
            if row['workload'] == 'openb_pod_list_' + workload:
                theirs[(row['sc_policy'], row['seed'])] = row
    if not theirs:
        sys.exit('%s: no rows for workload openb_pod_list_%s' % (artifact_csv, workload))
    agree, total, worst = {}, {}, {}
    with open(out_dir + '/fgd_openb_runs.csv', newline='') as f:
        for row in csv.DictReader(f):
            name = POLICIES.get(row['policy'])
            if name is None or (name, row['seed']) not in theirs:
                continue
            published = theirs[(name, row['seed'])].get(row['arrived_pct'])
            if not published:
                continue
            diff = abs(100 - float(row['unallocated_pct']) - float(published))
            total[row['policy']] = total.get(row['policy'], 0) + 1
            agree[row['policy']] = agree.get(row['policy'], 0) + (diff <= 0.011)
            worst[row['policy']] = max(worst.get(row['policy'], 0), diff)
    failed = False
    for p in POLICIES:
        if p not in total:
            continue
        print('%-10s %3d of %3d (seed, step) agree to 0.01; largest difference %.2f points' % (p, agree[p], total[p], worst[p]))
        failed |= p != 'random' and agree[p] < total[p]
    return 1 if failed else 0


if __name__ == '__main__':
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))
