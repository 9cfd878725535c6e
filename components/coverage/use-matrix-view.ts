"use client";

import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState, useSyncExternalStore } from "react";
import { dashboardApi, dashboardKeys } from "@/lib/api/keys";
import { DEFAULT_QUERY, matrixQueryToSearch, type MatrixFilter, type MatrixNamesResponse, type MatrixPageResponse, type MatrixQuery } from "@/lib/api/matrix-query";

/** Typing in the search or selector fields asks the server once the typing pauses this long. */
const TYPING_PAUSE_MS = 300;

async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  const response = await fetch(url, { headers: { accept: "application/json" }, signal });
  const body = (await response.json().catch(() => null)) as (T & { error?: string }) | null;
  if (!response.ok || !body) throw new Error(body?.error ?? `The server answered ${response.status}.`);
  return body;
}

/** The query string that names a filter alone: what a select-all list belongs to. */
const filterSearch = (filter: MatrixFilter) => matrixQueryToSearch({ ...DEFAULT_QUERY, filter });

const noSubscription = () => () => undefined;

/**
 * The view of the matrix (filter, sort, page) with the URL as its state, and the page of rows the server answers it
 * with. `query` is what the controls show; the committed view is what the table shows and the URL holds (typing
 * commits after a pause, anything else at once). The page the server rendered is the first view's data.
 */
export function useMatrixView(initial: MatrixPageResponse, initialQuery: MatrixQuery) {
  const { cluster, scannedAt } = initial;
  const [query, setQuery] = useState<MatrixQuery>(initialQuery);
  const [committed, setCommitted] = useState<MatrixQuery>(initialQuery);
  const typing = useRef<number | undefined>(undefined);
  const search = matrixQueryToSearch(committed);
  const [initialSearch] = useState(() => matrixQueryToSearch(initialQuery));
  const result = useQuery({
    queryKey: dashboardKeys.matrix(cluster, scannedAt, search),
    queryFn: ({ signal }) => getJson<MatrixPageResponse>(dashboardApi.matrix(cluster, search), signal),
    initialData: search === initialSearch ? initial : undefined,
    placeholderData: keepPreviousData,
  });
  // False in the server render, true once hydrated: with a settled view, the `data-ready` marker tests and measurements wait for.
  const hydrated = useSyncExternalStore(noSubscription, () => true, () => false);

  useEffect(() => {
    const url = new URL(window.location.href);
    url.search = search;
    if (url.href !== window.location.href) window.history.replaceState(window.history.state, "", url);
  }, [search]);
  useEffect(() => () => window.clearTimeout(typing.current), []);

  const commit = (next: MatrixQuery, delayMs = 0) => {
    setQuery(next);
    window.clearTimeout(typing.current);
    if (delayMs > 0) typing.current = window.setTimeout(() => setCommitted(next), delayMs);
    else setCommitted(next);
  };
  const changeFilter = (filter: MatrixFilter) => {
    const typed = filter.text !== query.filter.text || filter.selector !== query.filter.selector;
    commit({ ...query, filter, page: 1 }, typed ? TYPING_PAUSE_MS : 0);
  };
  return {
    query,
    committed,
    result,
    data: result.data ?? initial,
    hydrated,
    ready: hydrated && query === committed && !result.isFetching && !result.isError,
    commit,
    changeFilter,
  };
}

/**
 * The selected namespaces, across pages. Select-all asks the server for every name the filter matches; the selection
 * is "exactly the filter" (what a selector link may stand for) while it equals that list for the filter shown.
 */
export function useMatrixSelection(cluster: string, scannedAt: string, shownFilter: MatrixFilter) {
  const queryClient = useQueryClient();
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [allOf, setAllOf] = useState<{ filter: string; names: string[] } | null>(null);
  const [selecting, setSelecting] = useState(false);
  const [selectError, setSelectError] = useState<string | null>(null);

  const selectAll = async (filterShown: MatrixFilter) => {
    const filter = filterSearch(filterShown);
    setSelecting(true);
    setSelectError(null);
    try {
      const body = await queryClient.fetchQuery({
        queryKey: dashboardKeys.matrixNames(cluster, scannedAt, filter),
        queryFn: ({ signal }) => getJson<MatrixNamesResponse>(dashboardApi.matrix(cluster, filter, true), signal),
      });
      setSelected(new Set(body.namespaces));
      setAllOf({ filter, names: body.namespaces });
    } catch (error) {
      setSelectError(error instanceof Error ? error.message : String(error));
    } finally {
      setSelecting(false);
    }
  };
  const toggle = (names: readonly string[], on: boolean) =>
    setSelected((prev) => {
      const next = new Set(prev);
      for (const n of names) {
        if (on) next.add(n);
        else next.delete(n);
      }
      return next;
    });
  return {
    selected,
    selecting,
    selectError,
    allFilteredSelected: allOf !== null && allOf.filter === filterSearch(shownFilter) && allOf.names.length === selected.size && allOf.names.every((n) => selected.has(n)),
    selectAll,
    toggle,
    clear: () => setSelected(new Set()),
  };
}
