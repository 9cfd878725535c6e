import { NextResponse } from "next/server";
import { database, databaseDescription } from "@/lib/db";

export const dynamic = "force-dynamic";

/**
 * Liveness and database readiness for load balancers and the quick start.
 * Public on purpose: it reveals no data, only whether the store answers.
 */
export async function GET() {
  const started = performance.now();
  try {
    const { prisma, provider } = await database();
    await prisma.$queryRawUnsafe("SELECT 1");
    return NextResponse.json({
      status: "ok",
      database: { status: "ok", provider, latencyMs: Math.round(performance.now() - started) },
    });
  } catch (error) {
    return NextResponse.json(
      {
        status: "degraded",
        database: {
          status: "error",
          target: safeDescription(),
          message: error instanceof Error ? error.message.split("\n")[0] : "unknown error",
        },
      },
      { status: 503 },
    );
  }
}

function safeDescription(): string {
  try {
    return databaseDescription();
  } catch {
    return "unconfigured";
  }
}
