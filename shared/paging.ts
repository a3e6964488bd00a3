/** Reads every page of a NextToken-paged list (PrivateLink, ECS). */
export async function allByToken<T>(
  fetch: (nextToken?: string) => Promise<{ items: T[]; nextToken?: string }>,
  maxPages = 1000,
): Promise<T[]> {
  const all: T[] = [];
  let token: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const { items, nextToken } = await fetch(token);
    all.push(...items);
    if (!nextToken) return all;
    token = nextToken;
  }
  throw new Error(`stopped after ${maxPages} pages: the list did not end`);
}

/** Reads every page of a PageNumber-paged list (PrivateZone, ECS, VPC, Zilliz). */
export async function allByPage<T>(fetch: (pageNumber: number) => Promise<{ items: T[]; total: number }>, maxPages = 1000): Promise<T[]> {
  const all: T[] = [];
  for (let page = 1; page <= maxPages; page++) {
    const { items, total } = await fetch(page);
    all.push(...items);
    if (items.length === 0 || all.length >= total) return all;
  }
  throw new Error(`stopped after ${maxPages} pages: the list did not end`);
}
