// Mantine components that navigate with the router (typed `to`, keyboard and middle-click work as links).
import { Anchor, Button, NavLink, type AnchorProps, type ButtonProps, type NavLinkProps } from '@mantine/core';
import { createLink, type LinkComponent } from '@tanstack/react-router';
import type { ComponentPropsWithRef } from 'react';

type AnchorBase = AnchorProps & Omit<ComponentPropsWithRef<'a'>, keyof AnchorProps>;
function AnchorBaseComp(props: AnchorBase) {
  return <Anchor {...props} />;
}
const CreatedAnchor = createLink(AnchorBaseComp);
export const AnchorLink: LinkComponent<typeof AnchorBaseComp> = (props) => <CreatedAnchor preload="intent" {...props} />;

type ButtonBase = ButtonProps & Omit<ComponentPropsWithRef<'a'>, keyof ButtonProps>;
function ButtonBaseComp(props: ButtonBase) {
  return <Button component="a" {...props} />;
}
const CreatedButton = createLink(ButtonBaseComp);
export const ButtonLink: LinkComponent<typeof ButtonBaseComp> = (props) => <CreatedButton preload="intent" {...props} />;

type NavBase = NavLinkProps & Omit<ComponentPropsWithRef<'a'>, keyof NavLinkProps>;
function NavBaseComp(props: NavBase) {
  return <NavLink component="a" {...props} />;
}
const CreatedNav = createLink(NavBaseComp);
export const NavLinkRouter: LinkComponent<typeof NavBaseComp> = (props) => <CreatedNav preload="intent" {...props} />;
